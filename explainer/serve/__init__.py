"""Serving a class: streamlit replicas behind nginx (``python -m explainer.serve``) and
simulated students over streamlit's websocket protocol (``students``).

References: nginx's upstream module (hash ... consistent, max_fails/fail_timeout) and websocket
proxying docs; streamlit's ``/_stcore/stream`` protocol (BackMsg/ForwardMsg protobufs).
"""
