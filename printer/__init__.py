"""hotro: printer."""
