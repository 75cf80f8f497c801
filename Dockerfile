# One image for every newsflow process (migrate, worker, watcher, flower).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY stages stages
COPY intake intake
COPY models models
COPY tasks tasks
COPY workers workers
COPY evaluation evaluation
COPY corpus corpus
COPY migrations migrations
COPY seeds seeds
RUN pip install --no-cache-dir . && useradd --create-home newsflow
USER newsflow
ENTRYPOINT ["newsflow"]
