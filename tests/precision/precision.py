#!/usr/bin/env python3
"""Precision of convex-lens's findings on real open-source Convex backends, judged by hand.

The apps (../shared/corpus/apps.tsv) are never committed and CI cannot fetch them: fetch each
repository with the search tool's `fetch` (a bare git directory under /work/.mirror), then

    python3 tests/precision/precision.py extract              # sources at the pinned commits
    python3 tests/precision/precision.py run LABEL            # `convex-lens check` on each app
    python3 tests/precision/precision.py sample LABEL         # the seeded sample to judge
    python3 tests/precision/precision.py report LABEL         # precision and counts per backend
    python3 tests/precision/precision.py retained OLD NEW     # OLD's true findings still in NEW

`run` writes target/precision/LABEL/findings.jsonl; `sample` prints the sample as a verdicts
file to fill in (tests/precision/verdicts-LABEL.tsv: TP, FP or DEBATABLE, and the reason, by
../shared/reference/precision-rubric.md); `report` reads it back. Findings are keyed by app,
kind, place and message, so a verdict stays with its finding across runs that keep both.
"""

import collections
import csv
import json
import os
import random
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
APPS_TSV = os.environ.get('CONVEX_LENS_APPS_TSV', os.path.join(ROOT, '..', 'shared', 'corpus', 'apps.tsv'))
MIRRORS = os.environ.get('CONVEX_LENS_MIRRORS', '/work/.mirror')
APPS_DIR = os.environ.get('CONVEX_LENS_APPS', os.path.join(ROOT, '..', 'apps'))
BINARY = os.path.join(ROOT, 'target', 'release', 'convex-lens')
SOURCE = ('.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.json')
PER_KIND = 8
# Runs whose samples were drawn with one generator shared by all kinds (see `seeded_sample`).
SHARED_DRAW = {'before'}


def apps():
    with open(APPS_TSV) as f:
        return list(csv.DictReader(f, delimiter='\t'))


def app_dir(app):
    return os.path.join(APPS_DIR, app['repo'].replace('/', '+'))


def extract():
    """Each app's source files at its pinned commit (a snapshot lacks its largest blobs: skipped)."""
    for app in apps():
        git = os.path.join(MIRRORS, app['repo'].replace('/', '+'), 'repo')
        dest = app_dir(app)
        marker = os.path.join(dest, '.extracted')
        if os.path.exists(marker) and open(marker).read() == app['commit']:
            continue
        if not os.path.isdir(git):
            print(f"{app['repo']}: not fetched (fetch github:{app['repo']} first)", file=sys.stderr)
            continue
        subprocess.run(['rm', '-rf', dest], check=True)
        listing = subprocess.run(['git', '--git-dir', git, 'ls-tree', '-r', '-z', app['commit']], capture_output=True, check=True).stdout
        missing = 0
        for entry in listing.decode().split('\0'):
            if not entry:
                continue
            meta, path = entry.split('\t', 1)
            _, kind, sha = meta.split()
            if kind != 'blob' or not path.endswith(SOURCE) or 'node_modules/' in path:
                continue
            blob = subprocess.run(['git', '--git-dir', git, 'cat-file', 'blob', sha], capture_output=True)
            if blob.returncode != 0:
                missing += 1
                continue
            target = os.path.join(dest, path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, 'wb') as f:
                f.write(blob.stdout)
        with open(marker, 'w') as f:
            f.write(app['commit'])
        print(f"{app['repo']}: extracted ({missing} blobs missing from the snapshot)")


def key(finding):
    loc = finding.get('location') or {}
    return '\t'.join([finding['app'], finding['kind'], f"{loc.get('file', '')}:{loc.get('line', '')}", finding['message']])


def run(label):
    """`convex-lens check --format json --no-packages` on each app: what the playground shows."""
    out_dir = os.path.join(ROOT, 'target', 'precision', label)
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, 'findings.jsonl'), 'w') as out, open(os.path.join(out_dir, 'unverified.jsonl'), 'w') as held:
        for app in apps():
            functions = os.path.join(app_dir(app), app['subpath'])
            result = subprocess.run([BINARY, 'check', functions, '--format', 'json', '--no-packages'], capture_output=True, text=True)
            if result.returncode not in (0, 1):
                print(f"{app['repo']}: exit {result.returncode}: {result.stderr.strip()}", file=sys.stderr)
                continue
            report = json.loads(result.stdout)
            for finding in report['findings']:
                finding['app'] = app['repo']
                out.write(json.dumps(finding) + '\n')
            for group in report.get('unverified', []):
                group['app'] = app['repo']
                held.write(json.dumps(group) + '\n')
            print(f"{app['repo']}: {len(report['findings'])} findings, {len(report.get('unverified', []))} could not verify")


def load(label):
    with open(os.path.join(ROOT, 'target', 'precision', label, 'findings.jsonl')) as f:
        return [json.loads(line) for line in f]


def all_verdicts():
    """Every verdict judged so far, by finding key (a finding judged once keeps its verdict)."""
    judged = {}
    for name in sorted(os.listdir(HERE)):
        if name.startswith('verdicts-') and name.endswith('.tsv'):
            judged.update(verdicts(name[len('verdicts-'):-len('.tsv')]))
    return judged


def seeded_sample(label):
    """The seeded sample: all findings of a kind that fires fewer than 8 times, else 8, drawn
    with a generator seeded 7 for each kind."""
    by_kind = collections.defaultdict(list)
    for finding in load(label):
        by_kind[finding['kind']].append(finding)
    chosen = {}
    # The baseline was judged on a draw from one generator for all kinds in turn; later runs
    # seed each kind's own, so that one kind's draw does not move when another's count changes.
    shared = random.Random(7)
    for kind in sorted(by_kind):
        group = sorted(by_kind[kind], key=key)
        draw = shared if label in SHARED_DRAW else random.Random(7)
        chosen[kind] = group if len(group) <= PER_KIND else draw.sample(group, PER_KIND)
    return chosen


def sample(label):
    """The sample as a verdicts file to fill in; a finding already judged (same app, kind, place
    and message) keeps its verdict."""
    judged = all_verdicts()
    print('app\tkind\tplace\tmessage\tverdict\treason')
    for findings in seeded_sample(label).values():
        for finding in findings:
            verdict, reason = judged.get(key(finding), ('', ''))
            print(f'{key(finding)}\t{verdict}\t{reason}')


def verdicts(label):
    path = os.path.join(HERE, f'verdicts-{label}.tsv')
    judged = {}
    with open(path) as f:
        for row in csv.reader(f, delimiter='\t'):
            if row[0] == 'app' or len(row) < 5:
                continue
            judged['\t'.join(row[:4])] = (row[4].strip(), row[5].strip() if len(row) > 5 else '')
    return judged


def report(label):
    """Precision per kind on the seeded sample (verdicts from every verdicts file), weighted by
    each kind's share of all findings; and the findings per backend."""
    findings = load(label)
    judged = all_verdicts()
    chosen = {key(f) for group in seeded_sample(label).values() for f in group}
    total = len(findings)
    rows, weighted_strict, weighted_lenient = per_kind(findings, judged, chosen)
    pct = lambda x: '-' if x is None else f'{100 * x:.0f}%'
    print(f'| kind | findings | share | sampled | TP | FP | debatable | strict | lenient |')
    print('|---|---:|---:|---:|---:|---:|---:|---:|---:|')
    for kind, n, sampled, tp, fp, debatable, strict, lenient in rows:
        print(f'| {kind} | {n} | {100 * n / total:.1f}% | {sampled} | {tp} | {fp} | {debatable} | {pct(strict)} | {pct(lenient)} |')
    # Errors count with warnings: both are problems, on the first screen; notes are apart.
    for wanted, text in ((('error', 'warning'), 'problems (errors and warnings)'), (('info',), 'notes')):
        mine = [f for f in findings if f.get('severity', 'warning') in wanted]
        print(f'{text}: {len(mine)} findings, weighted precision (strict) {pct(per_kind(mine, judged, chosen)[1])}' if mine else f'{text}: none')
    unjudged = sum(1 for k in chosen if k not in judged)
    print(f'\n{total} findings; weighted precision: strict {pct(weighted_strict)}, lenient {pct(weighted_lenient)}' + (f' ({unjudged} of the sample not judged yet)' if unjudged else ''))
    per_app = collections.Counter(f['app'] for f in findings)
    sizes = sorted(per_app.get(app['repo'], 0) for app in apps())
    top_tenth = sizes[int(0.9 * (len(sizes) - 1))]
    print(f'per backend ({len(sizes)}): median {statistics.median(sizes)}, 90th percentile {top_tenth}, largest {sizes[-1]}')
    for app, n in per_app.most_common(5):
        print(f'  {n}\t{app}')


def per_kind(findings, judged, chosen):
    """For each kind, most frequent first: (kind, findings, sampled, TP, FP, debatable, strict,
    lenient); and the strict and lenient rates weighted by each kind's share of `findings`."""
    total = len(findings)
    rows = []
    weighted_strict = weighted_lenient = 0.0
    for kind, n in sorted(collections.Counter(f['kind'] for f in findings).items(), key=lambda kv: -kv[1]):
        verdict = collections.Counter(judged[key(f)][0] for f in findings if f['kind'] == kind and key(f) in chosen and key(f) in judged)
        sampled = sum(verdict.values())
        tp, fp, debatable = verdict['TP'], verdict['FP'], verdict['DEBATABLE']
        strict = tp / sampled if sampled else None
        lenient = tp / (tp + fp) if tp + fp else None
        if strict is not None:
            weighted_strict += strict * n / total
        if lenient is not None:
            weighted_lenient += lenient * n / total
        rows.append((kind, n, sampled, tp, fp, debatable, strict, lenient))
    return rows, weighted_strict, weighted_lenient


def places(finding):
    """The places a finding names: its own and its related ones, as (file, line)."""
    spots = [finding.get('location')] + [r['location'] for r in finding.get('related', [])]
    return {(s['file'], s['line']) for s in spots if s}


def retained(old, new):
    """Each finding judged TP in OLD's verdicts, and whether NEW still reports it: a finding of
    NEW in the same app naming its place (as its own place or a related one)."""
    judged = verdicts(old)
    findings = load(new)
    kept = 0
    true = [k for k, (verdict, _) in judged.items() if verdict == 'TP']
    for k in true:
        app, kind, place, message = k.split('\t')
        file, line = place.rsplit(':', 1)
        hits = [f for f in findings if f['app'] == app and (file, int(line)) in places(f)]
        kept += bool(hits)
        status = f"kept as {', '.join(sorted({h['kind'] for h in hits}))}" if hits else 'LOST'
        print(f'{status}\t{app}\t{kind}\t{place}')
    print(f'{kept} of {len(true)} true findings of {old} are reported by {new}')


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else ''
    if command == 'extract':
        extract()
    elif command in ('run', 'sample', 'report') and len(sys.argv) == 3:
        globals()[command](sys.argv[2])
    elif command == 'retained' and len(sys.argv) == 4:
        retained(sys.argv[2], sys.argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
