"""The load test's settings: Peerwork's own, served with the benches' URL configuration (``urls_floor.py``), so
the server answers the signed-in floor page beside every product page. Only ``bench/load.py`` uses it (it puts
this folder on the server's path); no product configuration serves the floor page."""

from peerwork.settings import *  # noqa: F403

ROOT_URLCONF = "urls_floor"
