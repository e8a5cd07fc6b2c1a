"""A stand-in third-party client: installed under site-packages, so not in-app."""


def submit(callback):
    return _send(callback)


def _send(callback):
    return callback()
