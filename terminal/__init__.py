"""hotro: terminal."""
