#!/usr/bin/env python3
"""A SpareSync integrator's client in Python, written from proto/sparesync.proto alone.

Run by test/control-example-python.test.ts against two real agents, with Debian's packages
(`apt-get install python3-grpcio python3-grpc-tools`; or `pip install grpcio grpcio-tools`):

    python3 -m grpc_tools.protoc -I ../../proto --python_out=. --grpc_python_out=. sparesync.proto
    python3 control_client.py --address 127.0.0.1:7701 --ca ca.crt \
        --cert client-me.crt --key client-me.key --fingerprint <agent certificate SHA-256>

It prints the agent's identity and status, waits for one WatchStatus event, and with
--turn-off/--turn-on turns SpareSync off/on on that server only (an operator certificate is
needed for that; a read-only one gets PERMISSION_DENIED).

TLS name: grpcio checks that the agent's certificate carries the name it dials (or the one set
with grpc.ssl_target_name_override). Agent certificates carry the names and addresses given to
`sparesync certs init --primary NAME,HOST,IP`, so --server-name defaults to the host of
--address; give another name the certificate carries when you dial through a different one.
"""
import argparse
import hashlib
import ssl
import sys

import grpc

import sparesync_pb2 as pb
import sparesync_pb2_grpc as rpc


def normalize(fp: str) -> str:
    hexdigits = fp.replace(":", "").upper()
    return ":".join(hexdigits[i : i + 2] for i in range(0, len(hexdigits), 2))


def check_fingerprint(address: str, expected: str) -> None:
    """grpcio has no pinning hook: read the server certificate first and compare its SHA-256."""
    host, port = address.rsplit(":", 1)
    pem = ssl.get_server_certificate((host, int(port)))
    got = normalize(hashlib.sha256(ssl.PEM_cert_to_DER_cert(pem)).hexdigest())
    if got != normalize(expected):
        sys.exit(f"control_client: the agent's certificate {got} is not the expected {expected}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("address", "ca", "cert", "key", "fingerprint"):
        p.add_argument(f"--{name}", required=True)
    p.add_argument("--server-name", help="TLS name to check (default: the host of --address)")
    p.add_argument("--turn-off", action="store_true")
    p.add_argument("--turn-on", action="store_true")
    a = p.parse_args()

    check_fingerprint(a.address, a.fingerprint)
    creds = grpc.ssl_channel_credentials(
        root_certificates=open(a.ca, "rb").read(),
        private_key=open(a.key, "rb").read(),
        certificate_chain=open(a.cert, "rb").read(),
    )
    # A name or address the agent's certificate carries (see the top of this file).
    server_name = a.server_name or a.address.rsplit(":", 1)[0].strip("[]")
    options = (("grpc.ssl_target_name_override", server_name),)
    with grpc.secure_channel(a.address, creds, options) as channel:
        control = rpc.ControlStub(channel)
        try:
            me = control.GetIdentity(pb.GetIdentityRequest(), timeout=10)
            if normalize(me.fingerprint) != normalize(a.fingerprint):
                sys.exit(f"control_client: the agent says its certificate is {me.fingerprint}, not {a.fingerprint}")
            print(f"identity: {me.role} {me.name} version {me.version}")
            st = control.GetStatus(pb.GetStatusRequest(), timeout=10)
            print(f"status: {st.local.role} {st.local.state} ({st.local.reason}); "
                  f"peer {st.remote.state}; link {'up' if st.link.connected else 'down'}")
            if a.turn_off or a.turn_on:
                method = control.TurnOff if a.turn_off else control.TurnOn
                reply = method(pb.TurnRequest(this_server_only=True), timeout=10)
                print(f"turn {'off' if a.turn_off else 'on'}: accepted={reply.accepted}: {reply.message}")
            watch = pb.WatchStatusRequest(keepalive_seconds=1, changes_only=True)
            for event in control.WatchStatus(watch, timeout=30):
                state = pb.AgentState.Name(event.summary.state)
                print(f"event: {event.cause} {event.status.local.state} {state}")
                break
        except grpc.RpcError as e:
            sys.exit(f"control_client: {e.code().name}: {e.details()}")


if __name__ == "__main__":
    main()
