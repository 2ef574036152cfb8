"""hotro: procedures."""
