"""REST API (FastAPI routers, error handlers, security middleware) over the Engine.

The served application that mounts these together with the web UI is `netnav.app.create_app`.
"""
