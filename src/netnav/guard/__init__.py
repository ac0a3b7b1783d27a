"""Bounded resources for the server, independent of the app's routes:

- body.BodyLimitMiddleware (ASGI): request bodies are counted while they stream in (chunked included),
  JSON bodies are depth-checked while they stream, and slow bodies time out.
- server.GuardedH11Protocol (uvicorn): a header timeout and a cap on open connections.
- logs.install_log_limits: rate-limited logging without exception messages (which may quote reports).
"""
