"""A real S3-protocol server for the tests: moto's standalone server on 127.0.0.1, on a
port the system picks, started once per run; each test that asks for a `bucket` gets one
of its own, and the default storage configured from the S3_* variables exactly as
production reads them (pnsr.settings.file_storage)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

from pnsr.settings import file_storage

REGION = "eu-west-3"
ACCESS_KEY = "pnsr-tests"
SECRET_KEY = "pnsr-tests-secret"


@pytest.fixture(scope="session")
def s3_server():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@dataclass
class Bucket:
    """The test's bucket, read and altered behind the application's back."""

    name: str
    client: object

    def names(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def put(self, key: str, content: bytes) -> None:
        self.client.put_object(Bucket=self.name, Key=key, Body=content)

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.name, Key=key)

    def grants(self, key: str) -> list[tuple[str, str]]:
        """Who may do what on the object: (grantee type or group URI, permission)."""
        acl = self.client.get_object_acl(Bucket=self.name, Key=key)
        return [
            (grant["Grantee"].get("URI", grant["Grantee"]["Type"]), grant["Permission"])
            for grant in acl["Grants"]
        ]


@pytest.fixture
def bucket(s3_server, settings, monkeypatch) -> Bucket:
    """A new bucket, and Django's default storage on it (the S3_* variables set)."""
    name = f"pnsr-{uuid.uuid4().hex[:12]}"
    environment = {
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": s3_server,
        "S3_REGION": REGION,
        "S3_ACCESS_KEY_ID": ACCESS_KEY,
        "S3_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = {**settings.STORAGES, "default": file_storage()}
    return Bucket(name, client)
