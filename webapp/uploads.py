"""Upload size limit enforced while the request body is read, so an oversized file is never stored."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest

# Where the handler leaves its message for the view that parsed the request.
REFUSAL_ATTRIBUTE = "upload_refused"


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops an upload whose file passes JOB_UPLOAD_MAX_BYTES before it is read any further or
    stored anywhere, and leaves a message on the request (see `upload_refusal`). First in
    FILE_UPLOAD_HANDLERS: the default handlers behind it store only what it lets through.

    Two checks: a body whose declared length exceeds the limit plus the room form fields may take
    (DATA_UPLOAD_MAX_MEMORY_SIZE; one file per form on this site) is refused as its file begins,
    without reading a byte of it; otherwise each file's bytes are counted as they arrive."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = settings.JOB_UPLOAD_MAX_BYTES
        self.body_length = content_length or 0  # not content_length: new_file resets that one
        fields_room = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        self.body_limit = None if fields_room is None else self.limit + fields_room

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        if self.body_limit is not None and self.body_length > self.body_limit:
            self._refuse(self.body_length)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self._refuse(max(self.body_length, self.received))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler builds the file

    def _refuse(self, size: int) -> None:
        message = (
            f"The file '{self.file_name}' is about {size / 1e6:.1f} MB; the limit is "
            f"{self.limit / 1e6:.0f} MB. It was not stored."
        )
        setattr(self.request, REFUSAL_ATTRIBUTE, message)
        # connection_reset: do not read the rest of the body only to throw it away.
        raise StopUpload(connection_reset=True)


def upload_refusal(request: HttpRequest) -> str | None:
    """The size-limit message for this request's upload, or None. Read it after request.POST or
    request.FILES was first touched (that is when the body is parsed)."""
    return getattr(request, REFUSAL_ATTRIBUTE, None)
