"""The files ``cxlib init`` writes for a team's git workflow: the pre-commit hook config and the
GitHub Actions workflow, pointed at where the knowledge base sits in its repository."""

from __future__ import annotations

import re
import shlex

HOOK = """\
  - repo: local
    hooks:
      - id: cxlib-validate
        name: cxlib validate
        entry: {entry}
        language: system
        files: {files}
        require_serial: true
"""

PRE_COMMIT_CONFIG = """\
# cxlib validates documents and the config on every commit.
# Install once per clone: pip install pre-commit && pre-commit install
repos:
{hook}"""

WORKFLOW = """\
# cxlib checks the knowledge base on every pull request: annotations on the changed lines, and
# the review (what the pull request changes in the library) in the job summary and in one
# comment on the pull request, updated on each push. No secrets needed.
name: cxlib
on:
  pull_request:
permissions:
  contents: read
jobs:
  cxlib:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: {workdir}
    env:
      # Where pip installs cxlib from. {source_note}
      CXLIB_PACKAGE: "{package}"
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # review needs the base branch and the merge base
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install cxlib
        run: python -m pip install "$CXLIB_PACKAGE"
      - name: Validate the changed documents
        run: |
          git diff -z --name-only --relative --diff-filter=d "origin/$GITHUB_BASE_REF...HEAD" \\
            -- {paths} \\
            | xargs -0 --no-run-if-empty cxlib validate --format github
      - name: Review
        if: ${{{{ !cancelled() }}}}
        run: |
          review="$RUNNER_TEMP/cxlib-review.md"
          status=0
          cxlib review --base "origin/$GITHUB_BASE_REF" > "$review" || status=$?
          cat "$review" >> "$GITHUB_STEP_SUMMARY"
          exit "$status"
      - name: Keep the review for the comment
        if: ${{{{ !cancelled() }}}}
        uses: actions/upload-artifact@v4
        with:
          name: cxlib-review
          path: ${{{{ runner.temp }}}}/cxlib-review.md
          retention-days: 1
  comment:
    # The only job that may write to the pull request, and all it can write is comments.
    needs: cxlib
    if: ${{{{ !cancelled() }}}}
    runs-on: ubuntu-latest
    permissions:
      pull-requests: write
    steps:
      - name: Pull requests from forks get no comment
        if: github.event.pull_request.head.repo.full_name != github.repository
        run: >-
          echo "::notice::The cxlib review is in the job summary: a pull request from a fork
          gets a read-only token, so it cannot be posted as a comment."
      - uses: actions/download-artifact@v4
        if: github.event.pull_request.head.repo.full_name == github.repository
        with:
          name: cxlib-review
          path: ${{{{ runner.temp }}}}
      - name: Post the review, or update the comment it posted before
        if: github.event.pull_request.head.repo.full_name == github.repository
        env:
          GH_TOKEN: ${{{{ github.token }}}}
          PR: ${{{{ github.event.pull_request.number }}}}
          REPO: ${{{{ github.repository }}}}
        run: |
          marker="<!-- cxlib-review -->"
          {{ echo "$marker"; cat "$RUNNER_TEMP/cxlib-review.md"; }} > "$RUNNER_TEMP/comment.md"
          id=$(gh api --paginate "repos/$REPO/issues/$PR/comments" \\
            --jq ".[] | select(.body | startswith(\\"$marker\\")) | .id" | head -n 1)
          if [ -n "$id" ]; then
            gh api --method PATCH "repos/$REPO/issues/comments/$id" \\
              -F "body=@$RUNNER_TEMP/comment.md" > /dev/null
          else
            gh pr comment "$PR" --repo "$REPO" --body-file "$RUNNER_TEMP/comment.md"
          fi
"""
WORKFLOW_PATH = ".github/workflows/cxlib.yml"


def _yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def hook(base: str, folders: list[str], config_name: str) -> str:
    """The pre-commit hook entry for a base at ``base`` (POSIX, relative to the repository top,
    "." at the top): pre-commit matches and passes paths from the top, and runs the hook there."""
    prefix = "" if base == "." else re.escape(base + "/")
    kinds = "|".join(re.escape(f) for f in folders)
    files = f"^{prefix}({kinds})/.*\\.md$|^{prefix}{re.escape(config_name)}$"
    entry = "cxlib validate" if base == "." else f"cxlib -C {shlex.quote(base)} validate"
    return HOOK.format(entry=entry, files=_yaml_quoted(files))


def pre_commit_config(base: str, folders: list[str], config_name: str) -> str:
    return PRE_COMMIT_CONFIG.format(hook=hook(base, folders, config_name))


def workflow(workdir: str, package: str, source_note: str, paths: list[str]) -> str:
    return WORKFLOW.format(
        workdir=workdir, package=package, source_note=source_note, paths=" ".join(paths)
    )
