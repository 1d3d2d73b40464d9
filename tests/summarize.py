"""Add up the JUnit XML files of every test stage (cmocka and pytest write
them) and print one closing line: "N passed, N failed".  A stage that failed
without producing results (a crash, a VM that did not boot) counts as one
failure, so a broken stage can never look green."""
import argparse
import glob
import os
import sys
import xml.etree.ElementTree as ET


def count(path):
    passed = failed = skipped = 0
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        kinds = {child.tag for child in case}
        if kinds & {"failure", "error"}:
            failed += 1
        elif "skipped" in kinds:
            skipped += 1
        else:
            passed += 1
    return passed, failed, skipped


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--failed-stage", action="append", default=[])
    args = ap.parse_args()
    passed = failed = skipped = 0
    stages_with_results = set()
    for path in sorted(glob.glob(os.path.join(args.results, "*.xml"))):
        name = os.path.basename(path)
        try:
            p, f, s = count(path)
        except ET.ParseError as e:
            print("%s: unreadable results (%s)" % (name, e))
            p, f, s = 0, 1, 0
        print("%-40s %4d passed %4d failed %4d skipped" % (name, p, f, s))
        passed, failed, skipped = passed + p, failed + f, skipped + s
        stage = name.split("-")[0].split(".")[0]
        if f:
            stages_with_results.add(stage)
    for stage in args.failed_stage:
        if stage not in stages_with_results:
            print("stage '%s' failed without reporting a failed test: counted as 1 failure"
                  % stage)
            failed += 1
    line = "%d passed, %d failed" % (passed, failed)
    if skipped:
        line += ", %d skipped" % skipped
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
