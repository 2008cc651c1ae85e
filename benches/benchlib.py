"""Shared parts of the benchmark scripts: moto and the fixture server started on free ports,
an estate built in moto with boto3 (setup, never timed), and a median of timed runs.

Run the scripts with the moto venv's Python (`.ci/.venv/bin/python`, made by `./.ci/run`),
which has boto3: `benches/vs-aws-cli.sh` and `benches/org-scale.sh` do.
"""

import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

import boto3

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BIN = os.path.join(ROOT, "target", "release", "crossconnect")
REGION = "ap-southeast-2"
KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Servers:
    """moto (from the venv next to this Python) and the DX/Resolver fixture server."""

    def __enter__(self):
        moto_bin = os.path.join(os.path.dirname(sys.executable), "moto_server")
        self.moto_port, self.fixture_port = free_port(), free_port()
        self.procs = [
            subprocess.Popen([moto_bin, "-H", "127.0.0.1", "-p", str(self.moto_port)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen([sys.executable, os.path.join(ROOT, "benches", "fixture_server.py"),
                              str(self.fixture_port)], stdout=subprocess.DEVNULL),
        ]
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{self.moto}/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            p.terminate()
            p.wait()

    @property
    def moto(self):
        return f"http://127.0.0.1:{self.moto_port}"

    @property
    def fixtures(self):
        return f"http://127.0.0.1:{self.fixture_port}"

    def env(self, **extra):
        """The environment a user would set: endpoints, keys, no retries on a fault."""
        e = dict(os.environ)
        for k in ("AWS_PROFILE", "AWS_DEFAULT_REGION", "AWS_REGION"):
            e.pop(k, None)
        e.update(KEYS)
        e.update({
            "AWS_ENDPOINT_URL": self.moto,
            "AWS_ENDPOINT_URL_DIRECT_CONNECT": self.fixtures,
            "AWS_ENDPOINT_URL_ROUTE53RESOLVER": self.fixtures,
            "AWS_ENDPOINT_URL_ROUTE53PROFILES": self.fixtures,
            "AWS_REGION": REGION,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        })
        e.update(extra)
        return e

    def session(self, credentials=None):
        c = credentials or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        return boto3.session.Session(region_name=REGION, **c)

    def client(self, service, credentials=None):
        return self.session(credentials).client(service, endpoint_url=self.moto)

    def assume(self, account):
        """Credentials in `account` (moto: what they create belongs to it)."""
        c = self.client("sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/setup",
                                           RoleSessionName="setup")["Credentials"]
        return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
                "aws_session_token": c["SessionToken"]}


def build_estate(ec2, vpcs=4):
    """A small hybrid estate: VPCs with subnets, a transit gateway with a VPC attachment each,
    two TGW route tables with static and blackhole routes, associations and propagations, and a
    VPC peering."""
    tgw = ec2.create_transit_gateway(Description="core")["TransitGateway"]["TransitGatewayId"]
    tables = [ec2.create_transit_gateway_route_table(TransitGatewayId=tgw)["TransitGatewayRouteTable"]
              ["TransitGatewayRouteTableId"] for _ in range(2)]
    vpc_ids = []
    for i in range(vpcs):
        vpc = ec2.create_vpc(CidrBlock=f"10.{100 + i}.0.0/16")["Vpc"]["VpcId"]
        vpc_ids.append(vpc)
        subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.{100 + i}.{j}.0/24",
                                     AvailabilityZone=f"{REGION}{'abc'[j]}")["Subnet"]["SubnetId"]
                   for j in range(2)]
        att = ec2.create_transit_gateway_vpc_attachment(TransitGatewayId=tgw, VpcId=vpc, SubnetIds=subnets)
        att = att["TransitGatewayVpcAttachment"]["TransitGatewayAttachmentId"]
        ec2.associate_transit_gateway_route_table(TransitGatewayRouteTableId=tables[i % 2],
                                                  TransitGatewayAttachmentId=att)
        ec2.enable_transit_gateway_route_table_propagation(TransitGatewayRouteTableId=tables[(i + 1) % 2],
                                                           TransitGatewayAttachmentId=att)
        ec2.create_transit_gateway_route(DestinationCidrBlock=f"172.{16 + i}.0.0/16",
                                         TransitGatewayRouteTableId=tables[i % 2],
                                         TransitGatewayAttachmentId=att)
    ec2.create_transit_gateway_route(DestinationCidrBlock="192.168.0.0/16",
                                     TransitGatewayRouteTableId=tables[0], Blackhole=True)
    if len(vpc_ids) > 1:
        ec2.create_vpc_peering_connection(VpcId=vpc_ids[0], PeerVpcId=vpc_ids[1])
    return vpc_ids


def median_of(n, fn):
    """Runs `fn` (which returns seconds) `n` times; the median and all runs."""
    runs = [fn() for _ in range(n)]
    return statistics.median(runs), runs


def timed(cmd, env):
    """Seconds one command takes; fails loudly if it did not succeed (exit 0 or 2: a partial
    read is still a read, and is reported)."""
    t = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if p.returncode not in (0, 2):
        raise SystemExit(f"{' '.join(cmd)} failed ({p.returncode}): {p.stderr[-2000:]}")
    return dt


def ensure_release_binary():
    if not os.path.exists(BIN):
        subprocess.run(["cargo", "build", "--release"], cwd=ROOT, check=True)
