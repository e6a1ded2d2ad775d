"""keidesign: vehicle-design constraint explorer for US-compliant kei cars."""

__version__ = "0.1.0"
