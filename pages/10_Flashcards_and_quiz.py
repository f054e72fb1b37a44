"""Flashcards, misconception checks and a quiz whose live answers come from the app's core."""

from explainer import ui
from explainer.ui import cards, quiz

ui.page_header(
    "Flashcards and quiz",
    "Test yourself. **Flashcards** cover every glossary term, gate and equation; "
    "**misconceptions** are claims students often believe; the **quiz** mixes concepts with "
    "questions about live models, whose answers the app computes for your quiz number (the "
    "`seed` in the address: share it, and a friend gets the same quiz).",
)
seed = quiz.seed_from_link()
deck, myths, test = quiz.sections()
with deck:
    cards.flashcards(seed)
with myths:
    cards.misconceptions()
with test:
    quiz.quiz_panel(seed)
