"""halint: a linter and troubleshooter for Linux-HA Heartbeat clusters."""

__version__ = "0.2.0"
