"""Unrolled: an interactive explainer of recurrent neural networks (NumPy core, torch reference)."""
