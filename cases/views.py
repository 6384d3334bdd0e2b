def _():
    pass
