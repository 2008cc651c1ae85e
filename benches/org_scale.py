#!/usr/bin/env python3
"""The time of one `crossconnect snapshot --org-role` of an organisation of 1, 10 and 50
accounts in moto (Organizations CreateAccount, sts AssumeRole into each), each account holding
the same small estate; median of 3 per size. The goal: at most 3x from 1 to 50 accounts.

    benches/org-scale.sh            (needs ./.ci/run's venv)
"""

import sys

from benchlib import BIN, REGION, Servers, build_estate, ensure_release_binary, median_of, timed

SIZES = [int(a) for a in sys.argv[1:]] or [1, 10, 50]
GOAL = 3.0


def organisation(s, size):
    """An organisation of `size` accounts (the management account included), each with an
    estate; returns the member ids."""
    org = s.client("organizations")
    org.create_organization(FeatureSet="ALL")
    build_estate(s.client("ec2"), vpcs=2)
    members = []
    for i in range(size - 1):
        a = org.create_account(AccountName=f"member-{i}", Email=f"member-{i}@example.com")
        account = a["CreateAccountStatus"]["AccountId"]
        members.append(account)
        build_estate(s.client("ec2", s.assume(account)), vpcs=2)
    return members


def main():
    ensure_release_binary()
    results = []
    for size in SIZES:
        with Servers() as s:
            organisation(s, size)
            env = s.env(AWS_MAX_ATTEMPTS="1")
            cmd = [BIN, "snapshot", "--org-role", "Reader", "--region", REGION, "--format", "json"]
            med, runs = median_of(3, lambda: timed(cmd, env))
            results.append((size, med, runs))
    base = results[0][1]
    print("| accounts | snapshot (median of 3) | runs | vs 1 account |\n|---|---|---|---|")
    for size, med, runs in results:
        print(f"| {size} | {med * 1000:.0f} ms | {', '.join(f'{r * 1000:.0f}' for r in runs)} ms | {med / base:.1f}x |")
    growth = results[-1][1] / base
    print(f"\n{SIZES[-1]} accounts take {growth:.1f}x the time of {SIZES[0]} (goal: at most {GOAL:.0f}x)")
    sys.exit(0 if growth <= GOAL else 1)


if __name__ == "__main__":
    main()
