"""Export for slides and handouts: a scene (page + query params) as PNG and SVG at slide size
(light and dark), an offline animated HTML, the numbers as CSV and a PyTorch snippet; a lecture
as one zip with an offline index and the speaker notes.

``python -m explainer.export --lecture NAME --out DIR`` or ``--scene URL``.

References: plotly.py docs, "Static image export" (kaleido) and "Interactive HTML export".
"""
