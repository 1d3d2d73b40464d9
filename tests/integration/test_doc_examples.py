"""Every configuration shipped as documentation (doc/examples/*.conf;
keepalived.conf.sample is checked in test_config_test.py) passes
`keepalived -t` without a warning."""
import glob
import re
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


def parser_keywords():
    """Every keyword in the parsers' keyword tables ({ "name", kw_... })."""
    pattern = re.compile(r'^\s*\{ "([A-Za-z0-9_.-]+)", \w*kw_', re.M)
    words = set()
    for d in ("keepalived", "vrrp", "check"):
        for path in glob.glob(os.path.join(REPO, d, "*.c")):
            with open(path) as f:
                words.update(pattern.findall(f.read()))
    return words


def test_every_keyword_is_documented():
    """keepalived.conf(5) names every keyword the configuration accepts."""
    with open(os.path.join(REPO, "doc", "keepalived.conf.5")) as f:
        man = re.sub(r"\\f[BIRP]", " ", f.read().replace("\\-", "-"))
    words = parser_keywords()
    assert len(words) > 100
    missing = sorted(w for w in words if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(w),
                                                       man))
    assert missing == []
