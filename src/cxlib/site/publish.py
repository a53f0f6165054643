"""The GitHub Actions workflow that ``cxlib init --pages`` writes: on each push to the default
branch, validate, build the site, and publish it on GitHub Pages."""

from __future__ import annotations

PAGES_WORKFLOW_PATH = ".github/workflows/cxlib-pages.yml"

PAGES_WORKFLOW = """\
# cxlib publishes the knowledge base as a static, searchable site on GitHub Pages, on every
# push to the default branch, and only after 'cxlib validate' passes.
#
# A GitHub Pages site is PUBLIC, even when the repository is private, unless your organisation
# has private Pages (GitHub Enterprise Cloud: Settings > Pages > Visibility). Check before you
# turn it on. Documents marked 'visibility: restricted' (or in a folder listed under [site]
# restricted in cxlib.toml) are left out of the site.
#
# Turn it on once: Settings > Pages > Build and deployment > Source: GitHub Actions.
name: cxlib-pages
on:
  push:
    branches: [main]  # the branch whose library is published
  workflow_dispatch:
permissions:
  contents: read
concurrency:
  group: cxlib-pages
  cancel-in-progress: false
jobs:
  build:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: {workdir}
    env:
      # Where pip installs cxlib from. {source_note}
      CXLIB_PACKAGE: "{package}"
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install cxlib and the site's search indexer
        run: python -m pip install "$CXLIB_PACKAGE" "pagefind[bin]>=1.5"
      - name: Validate (nothing is published from a library with errors)
        run: cxlib validate --format github
      - name: Build the site
        run: cxlib site -o _site
      - uses: actions/upload-pages-artifact@v3
        with:
          path: {site_path}
  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def pages_workflow(workdir: str, package: str, source_note: str) -> str:
    """The workflow for a base at ``workdir`` (relative to the repository's top, "." at it)."""
    site_path = "_site" if workdir == "." else f"{workdir}/_site"
    return PAGES_WORKFLOW.format(
        workdir=workdir, package=package, source_note=source_note, site_path=site_path
    )
