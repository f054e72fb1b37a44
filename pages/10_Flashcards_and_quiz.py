"""Flashcards, misconception checks and a quiz whose live answers come from the app's core."""

from explainer import ui
from explainer.ui import cards, quiz

ui.page_header(
    "Flashcards and quiz",
    "Test yourself: **flashcards**, **misconceptions** and a **quiz** on live models, whose "
    "answers the app computes. Your quiz number is the `seed` in the address: share it, and a "
    "friend gets the same quiz.",
)
seed = quiz.seed_from_link()
deck, myths, test = quiz.sections()
with deck:
    cards.flashcards(seed)
with myths:
    cards.misconceptions()
with test:
    quiz.quiz_panel(seed)
