#!/usr/bin/env python3
"""A SpareSync integrator's client in Python, written from proto/sparesync.proto alone.

NOT RUN IN THIS REPOSITORY'S TESTS: the build machines cannot reach PyPI, so grpcio is not
installed here. The Node example beside it (examples/node) does the same and is run by
test/control-example.test.ts. Run this one on a machine with Python 3.9+:

    pip install grpcio grpcio-tools
    python -m grpc_tools.protoc -I ../../proto --python_out=. --grpc_python_out=. sparesync.proto
    python control_client.py --address 127.0.0.1:7701 --ca ca.crt \
        --cert client-me.crt --key client-me.key --fingerprint <agent certificate SHA-256>

It prints the agent's status, waits for one WatchStatus event, and with --turn-off/--turn-on
turns SpareSync off/on on that server only (an operator certificate is needed for that; a
read-only one gets PERMISSION_DENIED).
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
    p.add_argument("--turn-off", action="store_true")
    p.add_argument("--turn-on", action="store_true")
    a = p.parse_args()

    check_fingerprint(a.address, a.fingerprint)
    creds = grpc.ssl_channel_credentials(
        root_certificates=open(a.ca, "rb").read(),
        private_key=open(a.key, "rb").read(),
        certificate_chain=open(a.cert, "rb").read(),
    )
    # The agents' certificates name no host the client dials; any fixed name with the pair CA.
    options = (("grpc.ssl_target_name_override", "sparesync-agent"),)
    with grpc.secure_channel(a.address, creds, options) as channel:
        control = rpc.ControlStub(channel)
        try:
            st = control.GetStatus(pb.GetStatusRequest(), timeout=10)
            print(f"status: {st.local.role} {st.local.state} ({st.local.reason}); "
                  f"peer {st.remote.state}; link {'up' if st.link.connected else 'down'}")
            if a.turn_off or a.turn_on:
                method = control.TurnOff if a.turn_off else control.TurnOn
                reply = method(pb.TurnRequest(this_server_only=True), timeout=10)
                print(f"turn {'off' if a.turn_off else 'on'}: accepted={reply.accepted}: {reply.message}")
            for event in control.WatchStatus(pb.WatchStatusRequest(keepalive_seconds=1), timeout=30):
                print(f"event: {event.cause} {event.status.local.state}")
                break
        except grpc.RpcError as e:
            sys.exit(f"control_client: {e.code().name}: {e.details()}")


if __name__ == "__main__":
    main()
