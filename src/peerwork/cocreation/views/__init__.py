"""Co-creation pages, one module per topic: initiatives, contributions, boards, signals."""
