"""Reading Heartbeat's logs and explaining them: `halint diagnose`."""
