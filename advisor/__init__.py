"""advise: advice for leaving a crowdsourcing contract midway, from YAML rule packs run on durable_rules.

The pipeline, one module per stage: load -> validate -> derive -> compile -> engine (run) -> explain -> render.
`pipeline` strings them together; `cli` is the command line.
"""
__version__ = "0.1.0"
