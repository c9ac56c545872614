"""Calls a TF Serving REST endpoint the way TF Serving's documentation shows, with requests.

Usage: check_rest_server.py BASE_URL MODEL_NAME

Prints one JSON object: the status, the metadata's signature names, a row-format and a
columnar predict, a b64 call and the error of a malformed request, as the server answered them.
"""
import base64
import json
import sys

import requests


def main(base, name):
    model = f"{base}/v1/models/{name}"
    out = {}
    out["status"] = requests.get(model).json()
    out["signatures"] = sorted(requests.get(f"{model}/metadata").json()
                               ["metadata"]["signature_def"]["signature_def"])
    # the row ("instances") format of the REST API documentation
    data = json.dumps({"signature_name": "mixed_outputs",
                       "instances": [[1.0, -0.5], [0.25, 2.0]]})
    response = requests.post(f"{model}:predict", data=data)
    out["rows"] = {"code": response.status_code, "body": response.json()}
    # the columnar ("inputs") format, with a scalar input
    response = requests.post(f"{model}:predict", json={
        "signature_name": "scalar", "inputs": {"factor": 2.0, "x": [[1, 2, 3]]}})
    out["columns"] = {"code": response.status_code, "body": response.json()}
    # binary strings as {"b64": ...}
    raw = base64.b64encode(b"\x00\xff\x10").decode("ascii")
    response = requests.post(f"{model}/versions/1:predict", json={
        "signature_name": "bytes_in", "instances": [{"b64": raw}, "ok"]})
    out["b64"] = {"code": response.status_code, "body": response.json()}
    response = requests.post(f"{model}:predict", data="{not json")
    out["malformed"] = {"code": response.status_code, "body": response.json()}
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
