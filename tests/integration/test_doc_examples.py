"""Every configuration shipped as documentation (doc/examples/*.conf;
keepalived.conf.sample is checked in test_config_test.py) passes
`keepalived -t` without a warning."""
import glob
import os

import pytest

from daemon import config_test

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = sorted(glob.glob(os.path.join(REPO, "doc", "examples", "*.conf")))


def test_there_are_examples():
    assert len(EXAMPLES) >= 4


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_example_is_valid(path):
    assert config_test(path) == (0, [])
