# Set-up and the two jobs of the README. VENV may point at any (fresh) virtual environment.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.polycorpus-installed
# Debian packages the full feature set uses: jing (fast TEI validation), tesseract (OCR of scanned PDFs).
APT_PACKAGES := jing tesseract-ocr tesseract-ocr-aze tesseract-ocr-rus tesseract-ocr-eng

.PHONY: build test system-deps

build: $(STAMP)
	$(VENV)/bin/polycorpus build corpus/raw

test: $(STAMP)
	$(PY) -m pytest

$(STAMP): pyproject.toml
	$(MAKE) system-deps
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, from the local CPU build, so that stanza and sentence-transformers find it
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[all]'
	touch $(STAMP)

system-deps:
	@if command -v jing >/dev/null && command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -q aze; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	else echo "note: install $(APT_PACKAGES) for jing validation and OCR"; fi
