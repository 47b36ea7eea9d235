"""The simulator's stand-in for Shopify's file storage: the multipart form POST that
uploads a staged file, and the download of a bulk operation's results.

An upload must carry the form parameters ``stagedUploadsCreate`` gave, signed policy
included, with the file as the last field (``file``), as a storage POST policy demands;
anything else is refused with a storage-style XML error. The answer to a good upload is
``201`` with the object's location, as ``success_action_status`` asks.
"""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tillflow_simulators.shopify.bulk import BulkOperations
from tillflow_simulators.shopify.gql_bulk import RESULTS_PATH, STORAGE_PATH, sign

REQUIRED = ("key", "policy", "x-goog-signature", "Content-Type", "success_action_status")


def _xml_error(status: int, code: str, message: str) -> Response:
    body = (f"<?xml version='1.0' encoding='UTF-8'?><Error><Code>{code}</Code>"
            f"<Message>{message}</Message></Error>")
    return Response(body, status_code=status, media_type="application/xml")


def parse_form(content_type: str, body: bytes) -> tuple[dict[str, str], bytes | None, list[str]]:
    """The text fields, the file's content and the fields' order of a multipart body."""
    message = message_from_bytes(f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict[str, str] = {}
    order: list[str] = []
    upload: bytes | None = None
    parts = message.get_payload() if message.is_multipart() else []
    for part in parts if isinstance(parts, list) else []:
        if not isinstance(part, Message):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        order.append(name)
        raw = part.get_payload(decode=True)
        content = raw if isinstance(raw, bytes) else b""
        if part.get_filename() is not None:
            upload = content
        else:
            fields[name] = content.decode("utf-8")
    return fields, upload, order


def routes(bulk: BulkOperations) -> list[Route]:
    async def upload(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if not content_type.startswith("multipart/form-data"):
            return _xml_error(400, "InvalidArgument", "POST requires a multipart form.")
        fields, content, order = parse_form(content_type, await request.body())
        missing = [name for name in REQUIRED if name not in fields]
        if missing:
            return _xml_error(400, "InvalidArgument",
                              f"Missing form field {missing[0]!r} of the upload policy.")
        if content is None or order[-1:] != ["file"]:
            return _xml_error(400, "InvalidArgument",
                              "The file must be the last field of the form, named 'file'.")
        if len(content) > bulk.max_upload_bytes:
            return _xml_error(400, "EntityTooLarge",
                              "Your proposed upload exceeds the maximum allowed size")
        if sign(fields["policy"]) != fields["x-goog-signature"]:
            return _xml_error(403, "AccessDenied", "The upload policy's signature is wrong.")
        if not bulk.receive(fields["key"], content):
            return _xml_error(403, "AccessDenied", "No upload was reserved for this key.")
        body = (f"<?xml version='1.0' encoding='UTF-8'?><PostResponse><Key>{fields['key']}"
                "</Key></PostResponse>")
        return Response(body, status_code=int(fields["success_action_status"]),
                        media_type="application/xml")

    async def results(request: Request) -> Response:
        content = bulk.results(int(request.path_params["number"]))
        if content is None:
            return _xml_error(404, "NoSuchKey", "The specified key does not exist.")
        return Response(content, media_type="application/jsonl")

    return [
        Route(f"{STORAGE_PATH}/", upload, methods=["POST"]),
        Route(RESULTS_PATH + "/{number:int}.jsonl", results, methods=["GET"]),
    ]
