#!/usr/bin/env python3
"""`crossconnect snapshot` of one account's estate against the same inventory fetched with the
AWS CLI, one command per call, as an on-call script would (same moto, same fixture server,
same calls: every list, then every per-parent call). Median of 3 runs each.

    benches/vs-aws-cli.sh            (needs `aws` on PATH and ./.ci/run's venv)
"""

import json
import subprocess
import sys

from benchlib import BIN, REGION, Servers, build_estate, ensure_release_binary, median_of, timed

GOAL = 40.0


def aws(env, *args):
    """One AWS CLI command; its JSON answer."""
    p = subprocess.run(["aws", "--region", REGION, "--output", "json", *args], env=env,
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"aws {' '.join(args)} failed: {p.stderr}")
    return json.loads(p.stdout or "{}")


def cli_inventory(env):
    """What `snapshot` reads, one AWS CLI command per call."""
    ec2 = ["describe-vpcs", "describe-subnets", "describe-security-groups", "describe-route-tables",
           "describe-vpc-peering-connections", "describe-vpn-connections", "describe-transit-gateways",
           "describe-transit-gateway-attachments"]
    for op in ec2:
        aws(env, "ec2", op)
    tables = aws(env, "ec2", "describe-transit-gateway-route-tables")["TransitGatewayRouteTables"]
    for t in tables:
        rtb = t["TransitGatewayRouteTableId"]
        aws(env, "ec2", "search-transit-gateway-routes", "--transit-gateway-route-table-id", rtb,
            "--filters", "Name=state,Values=active,blackhole")
        aws(env, "ec2", "get-transit-gateway-route-table-associations", "--transit-gateway-route-table-id", rtb)
        aws(env, "ec2", "get-transit-gateway-route-table-propagations", "--transit-gateway-route-table-id", rtb)
    token = None
    while True:
        page = aws(env, "directconnect", "describe-connections", *(["--next-token", token] if token else []))
        token = page.get("nextToken")
        if not token:
            break
    for op in ["describe-lags", "describe-virtual-interfaces", "describe-virtual-gateways", "describe-locations"]:
        aws(env, "directconnect", op)
    for g in aws(env, "directconnect", "describe-direct-connect-gateways")["directConnectGateways"]:
        gid = g["directConnectGatewayId"]
        aws(env, "directconnect", "describe-direct-connect-gateway-associations", "--direct-connect-gateway-id", gid)
        aws(env, "directconnect", "describe-direct-connect-gateway-attachments", "--direct-connect-gateway-id", gid)
    for e in aws(env, "route53resolver", "list-resolver-endpoints")["ResolverEndpoints"]:
        aws(env, "route53resolver", "list-resolver-endpoint-ip-addresses", "--resolver-endpoint-id", e["Id"])
    for op in ["list-resolver-rules", "list-resolver-rule-associations", "list-firewall-domain-lists",
               "list-firewall-rule-group-associations", "list-firewall-configs"]:
        aws(env, "route53resolver", op)
    for g in aws(env, "route53resolver", "list-firewall-rule-groups")["FirewallRuleGroups"]:
        aws(env, "route53resolver", "list-firewall-rules", "--firewall-rule-group-id", g["Id"])


def main():
    ensure_release_binary()
    with Servers() as s:
        build_estate(s.client("ec2"))
        env = s.env(AWS_MAX_ATTEMPTS="1")
        snap, snap_runs = median_of(3, lambda: timed([BIN, "snapshot", "--region", REGION, "--format", "json"], env))

        def cli():
            import time
            t = time.perf_counter()
            cli_inventory(env)
            return time.perf_counter() - t

        cli_med, cli_runs = median_of(3, cli)
    ratio = cli_med / snap
    print("| what | median of 3 | runs |\n|---|---|---|")
    print(f"| crossconnect snapshot | {snap * 1000:.0f} ms | {', '.join(f'{r * 1000:.0f}' for r in snap_runs)} ms |")
    print(f"| AWS CLI, one command per call | {cli_med * 1000:.0f} ms | {', '.join(f'{r * 1000:.0f}' for r in cli_runs)} ms |")
    print(f"\nsnapshot is {ratio:.1f}x faster (goal: at least {GOAL:.0f}x)")
    sys.exit(0 if ratio >= GOAL else 1)


if __name__ == "__main__":
    main()
