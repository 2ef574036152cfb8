"""hotro: printer: the slip as data, its 1-bit image with the QR code, and ESC/POS output.

Import the modules directly (``printer.slip``, ``printer.render``, ``printer.output``): the
renderer loads Pillow and a font, the output loads python-escpos only when printing.
"""
