"""`halint` and `python -m halint`: the command line, started the cheapest way."""


def main() -> None:
    import gc

    # A large configuration makes hundreds of thousands of small objects and no cycles worth
    # collecting: at the default thresholds the cyclic collector costs more than the reading.
    # Set before click, lark and pydantic are imported, whose imports it also runs through
    # (3 M instructions of a run of `halint check`).
    gc.set_threshold(100_000, 50, 1000)
    from halint.cli import main as run

    try:
        run()
    finally:
        # The interpreter's last act is a full collection over every object still alive —
        # the modules of click, lark and pydantic and their classes, none of them garbage:
        # 30 M instructions, 4% of a `halint check`. Frozen, they are not walked (the process
        # ends right after; files are flushed and closed and exit handlers run as before).
        gc.freeze()


if __name__ == "__main__":
    main()
