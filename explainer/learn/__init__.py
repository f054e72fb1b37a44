"""Learn mode: a guided path, predict-then-reveal checks, flashcards, misconceptions, a quiz."""
