"""hotro: voices."""
