"""The API's documented limits, without pydantic: the first frame is built before pydantic is imported."""

MAX_INTERVAL_MONTHS = 3
MAX_MESSAGE_INTERVAL_MONTHS = 1
MAX_COUNT = 1000
MAX_THREAD_IDS = 1000
