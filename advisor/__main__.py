"""The `advise` command (and `python -m advisor`): cli.main, once advise is imported.

Importing advise and its dependencies takes a tenth of a second or more; a Ctrl-C in that time would end in a
KeyboardInterrupt traceback, before the command line can say anything. `run` holds it until cli is imported,
then reports it as any Ctrl-C is reported (one line in the language asked for, exit 130).
"""
import signal


def run() -> None:
    """Import cli with Ctrl-C held, then run the command line. Raises SystemExit, as click's main does."""
    held: list[int] = []
    holding = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not when the shell ignores SIGINT
    if holding:
        signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    from . import cli
    if holding:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if held:
        cli.interrupted_at_start()
    cli.main()


if __name__ == "__main__":
    run()
