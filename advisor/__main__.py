"""The `advise` command (and `python -m advisor`): cli.main, once advise is imported.

Importing advise and its dependencies takes a tenth of a second or more; a Ctrl-C in that time would end in a
KeyboardInterrupt traceback, before the command line can say anything. `run` holds it until cli is imported,
then reports it as any Ctrl-C is reported (one line in the language asked for, exit 130).

The cycle collector is off while advise is imported and what was imported is then frozen (gc.freeze: never
scanned again): importing allocates tens of thousands of objects that live as long as the process, and
scanning them over and over made start-up about a tenth slower (measured: 232 -> 208 ms, paired medians).
"""
import gc
import signal


def run() -> None:
    """Import cli with Ctrl-C held, then run the command line. Raises SystemExit, as click's main does."""
    held: list[int] = []
    holding = signal.getsignal(signal.SIGINT) is signal.default_int_handler  # not when the shell ignores SIGINT
    if holding:
        signal.signal(signal.SIGINT, lambda number, frame: held.append(number))
    gc.disable()
    from . import cli
    gc.freeze()
    gc.enable()
    if holding:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    if held:
        cli.interrupted_at_start()
    cli.main()


if __name__ == "__main__":
    run()
