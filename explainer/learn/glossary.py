"""The glossary: one source for Home's glossary and the flashcards."""

# (term, plain words, key equation)
GLOSSARY = [
    (
        "Hidden state",
        "The network's running memory: one vector, updated at every step.",
        r"h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})",
    ),
    (
        "Unrolling",
        "Redraw the loop as a chain of identical cells, one per time step, sharing weights.",
        r"h_T = f(\cdots f(f(h_0, x_1), x_2) \cdots, x_T)",
    ),
    (
        "Backprop through time (BPTT)",
        "Run the chain forwards, then send the error backwards through every step. The "
        "Jacobians multiply in order, the last step's on the left: matrices do not commute.",
        r"\frac{\partial h_T}{\partial h_t} = \frac{\partial h_T}{\partial h_{T-1}}"
        r" \cdots \frac{\partial h_{t+1}}{\partial h_t}",
    ),
    (
        "Gates",
        "Numbers between 0 and 1 that open or close a path: keep, write or show memory.",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
    ),
    (
        "Vanishing / exploding gradients",
        "A long product of Jacobians shrinks to nothing or blows up; with tanh it is "
        "bounded by the largest singular value of the recurrent weights.",
        r"\left\| \frac{\partial h_T}{\partial h_t} \right\| \le \sigma_{\max}(W_{hh})^{\,T-t}",
    ),
]
