"""Readiness pages, one module per topic. Thin: parse the form, call a service or selector, render."""
