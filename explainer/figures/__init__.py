"""Every plotly builder of the app; pure functions of a Trace or plain arrays, no streamlit.

One module per topic: ``theme`` (palette, template, animation chrome), then one per page.
"""
