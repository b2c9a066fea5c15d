#!/usr/bin/env bash
# The steps of the devstats GitHub Action (action.yml runs exactly this file).
#
# Inputs arrive as environment variables, never spliced into the script text:
#   INPUT_USER INPUT_YEAR INPUT_PACKAGES INPUT_LANG INPUT_TEMPLATE INPUT_INJECT INPUT_OUTPUT
#   INPUT_MARKER INPUT_ASSETS INPUT_ASSETS_FORMAT INPUT_TIMEZONE INPUT_COMMIT INPUT_HISTORY_PATH
#   INPUT_REMOTE_REPOSITORY INPUT_REMOTE_PATH INPUT_REMOTE_BRANCH
#   GITHUB_TOKEN (only the collecting run, the remote update and the push see it; never printed)
# Tools: DEVSTATS_BIN (default: devstats), DEVSTATS_PYTHON (default: python3).
# Runner: RUNNER_TEMP, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_SERVER_URL when set.
#
# One collecting run talks to the network and records every exchange; the Markdown is then
# rendered by replaying that recording, so the JSON report and the Markdown describe the same
# data, and the run that writes into the repository holds no token. Nothing in the repository
# changes unless both runs succeed. Commits are made as github-actions[bot], never as the user:
# a scheduled update is not the user's work, and counting it would inflate the very numbers
# devstats reports.
set -euo pipefail

BOT_NAME="github-actions[bot]"
BOT_EMAIL="41898282+github-actions[bot]@users.noreply.github.com"

say() { printf 'devstats action: %s\n' "$1" >&2; }
die() {
  printf 'devstats action: error: %s\n' "$1" >&2
  exit "${2:-1}"
}
is_true() {
  case "${1,,}" in
    true | yes | 1 | on) return 0 ;;
    false | no | 0 | off | "") return 1 ;;
    *) die "'$1' is not true or false" 2 ;;
  esac
}
# A stable digest of files (or folders), to tell whether a run changed them.
digest() {
  local path
  for path in "$@"; do
    if [[ -d "$path" ]]; then
      find "$path" -type f -print0 | LC_ALL=C sort -z | xargs -0 -r cksum
    elif [[ -f "$path" ]]; then
      cksum "$path"
    else
      printf 'absent %s\n' "$path"
    fi
  done
}

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
devstats_bin="${DEVSTATS_BIN:-devstats}"
python="${DEVSTATS_PYTHON:-python3}"
temp_root="${RUNNER_TEMP:-${TMPDIR:-/tmp}}"
mkdir -p "$temp_root"
work="$(mktemp -d "$temp_root/devstats.XXXXXX")"
trap 'rm -rf "$work"' EXIT
json_path="$temp_root/devstats.json"

user="${INPUT_USER:-}"
timezone="${INPUT_TIMEZONE:-}"
marker="${INPUT_MARKER:-devstats}"
inject="${INPUT_INJECT:-}"
output="${INPUT_OUTPUT:-}"
assets="${INPUT_ASSETS:-}"
assets_format="${INPUT_ASSETS_FORMAT:-svg}"
history="${INPUT_HISTORY_PATH:-}"
remote_repo="${INPUT_REMOTE_REPOSITORY:-}"
remote_path="${INPUT_REMOTE_PATH:-}"
commit=false
if is_true "${INPUT_COMMIT:-true}"; then commit=true; fi

[[ -n "$inject" && -n "$output" ]] && die "set either 'inject' or 'output', not both" 2
[[ -n "$remote_repo" && -z "$remote_path" ]] && die "'remote-repository' needs 'remote-path'" 2
[[ -z "$remote_repo" && -n "$remote_path" ]] && die "'remote-path' needs 'remote-repository'" 2
[[ -n "$remote_repo" && -n "$assets" ]] &&
  die "'assets' cannot be published to another repository; leave it empty with 'remote-repository'" 2
[[ -z "$history" ]] && die "'history-path' must not be empty" 2

# One moment for both runs, so the replay renders exactly what was collected.
if [[ -z "${DEVSTATS_NOW:-}" ]]; then
  DEVSTATS_NOW="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  export DEVSTATS_NOW
fi
year="${INPUT_YEAR:-}"
if [[ -z "$year" ]]; then
  year="$(TZ="${timezone:-UTC}" date +%Y)"
fi
[[ "$year" =~ ^[0-9]{4}$ ]] || die "'year' must be a four-digit year, not '$year'" 2

common=("$year")
[[ -n "$user" ]] && common+=(--user "$user")
[[ -n "$timezone" ]] && common+=(--timezone "$timezone")
# Packages may be separated by commas, spaces or line breaks.
read -r -d '' -a packages < <(printf '%s\0' "${INPUT_PACKAGES:-}" | tr ',\n\t' '   ') || true
for package in "${packages[@]}"; do
  common+=(--package "$package")
done

# Both runs start from the same copy of the history store; the real one is replaced only at the
# end, and only if its content changed.
run_history="$work/history-run.sqlite3"
replay_history="$work/history-replay.sqlite3"
if [[ -f "$history" ]]; then
  cp "$history" "$run_history"
  cp "$history" "$replay_history"
fi

say "collecting ${user:-the configured user}'s $year"
status=0
"$devstats_bin" "${common[@]}" --history "$run_history" --format json --output "$json_path" \
  --record "$work/cassettes" || status=$?
if ((status != 0)); then
  rm -f "$json_path"
  die "devstats could not collect the report (exit $status, see above); nothing was changed" "$status"
fi

render=(--history "$replay_history" --format markdown --replay "$work/cassettes" --marker "$marker")
[[ -n "${INPUT_LANG:-}" ]] && render+=(--lang "$INPUT_LANG")
[[ -n "${INPUT_TEMPLATE:-}" ]] && render+=(--template "$INPUT_TEMPLATE")
[[ -n "$assets" ]] && render+=(--assets "$assets" --assets-format "$assets_format")
written=()
snippet="$work/snippet.md"
if [[ -n "$inject" ]]; then
  render+=(--inject "$inject")
  written+=("$inject")
elif [[ -n "$output" ]]; then
  render+=(--output "$output")
  written+=("$output")
else
  render+=(--output "$snippet")
fi
[[ -n "$assets" ]] && written+=("$assets")

before="$(digest "${written[@]}")"
status=0
env -u GITHUB_TOKEN -u GH_TOKEN "$devstats_bin" "${common[@]}" "${render[@]}" || status=$?
((status == 0)) || die "devstats could not render the report (exit $status, see above)" "$status"
changed=false
[[ "$(digest "${written[@]}")" != "$before" ]] && changed=true

if [[ -n "$inject" ]]; then
  "$python" "$here/action_support.py" block "$inject" "$marker" >"$snippet"
elif [[ -n "$output" ]]; then
  cp "$output" "$snippet"
fi

history_changed=false
if [[ -f "$run_history" ]]; then
  old="$("$python" "$here/action_support.py" fingerprint "$history")"
  new="$("$python" "$here/action_support.py" fingerprint "$run_history")"
  if [[ "$old" != "$new" ]]; then
    mkdir -p "$(dirname "$history")"
    cp "$run_history" "$history"
    history_changed=true
    changed=true
  fi
fi

remote_changed=false
if [[ -n "$remote_repo" ]]; then
  remote=(--repository "$remote_repo" --path "$remote_path" --block-file "$snippet"
    --marker "$marker" --message "Update ${user:-devstats} $year stats (devstats)")
  [[ -n "${INPUT_REMOTE_BRANCH:-}" ]] && remote+=(--branch "$INPUT_REMOTE_BRANCH")
  remote_log="$work/remote.log"
  status=0
  "$python" -m devstats.publish.remote "${remote[@]}" 2>"$remote_log" || status=$?
  cat "$remote_log" >&2
  ((status == 0)) || die "could not update $remote_path in $remote_repo (exit $status)" "$status"
  if grep -q "devstats: updated" "$remote_log"; then
    remote_changed=true
    changed=true
  fi
fi

# Notes for the maintainer (a key to set, a source that failed) go to the log as warnings and to
# the job summary, never into the committed block: the readers of the README cannot act on them.
"$python" "$here/action_support.py" warnings "$json_path"
if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  {
    printf '## devstats: %s, %s\n\n' "${user:-configured user}" "$year"
    cat "$snippet"
    printf '\n'
    "$python" "$here/action_support.py" summary "$json_path"
  } >>"$GITHUB_STEP_SUMMARY"
fi

# A checkout made with `persist-credentials: false` (as it should be) keeps no credential in
# .git/config: the push then sends the token in a header given to that one git command only.
server_url="${GITHUB_SERVER_URL:-https://github.com}"
push_header=""
remote_git() {
  if [[ -n "$push_header" ]]; then
    GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0="http.${server_url}/.extraheader" \
      GIT_CONFIG_VALUE_0="$push_header" env -u GITHUB_TOKEN -u GH_TOKEN git "$@"
  else
    env -u GITHUB_TOKEN -u GH_TOKEN git "$@"
  fi
}

commit_sha=""
if [[ "$commit" == true ]]; then
  candidates=("${written[@]}")
  [[ "$history_changed" == true ]] && candidates+=("$history")
  to_commit=()
  if ((${#candidates[@]})); then
    top="$(git rev-parse --show-toplevel 2>/dev/null)" ||
      die "'commit' is on but $(pwd) is not a git repository; check it out first or set commit: false" 2
    for path in "${candidates[@]}"; do
      full="$(realpath -m -- "$path")"
      if [[ "$full" == "$top"/* && -e "$path" ]]; then
        to_commit+=("$path")
      else
        say "not committing $path: it is outside the repository"
      fi
    done
  fi
  if ((${#to_commit[@]})); then
    git add -- "${to_commit[@]}"
  fi
  if ((${#to_commit[@]} == 0)) || git diff --cached --quiet -- "${to_commit[@]}"; then
    say "no change to commit"
  else
    branch="$(git symbolic-ref --short -q HEAD)" ||
      die "the checkout is a detached HEAD; check out a branch so the update can be pushed" 2
    summary="$(git diff --cached --name-status -- "${to_commit[@]}" | sed 's/^/  /')"
    subject="Update ${user:-devstats} $year stats (devstats)"
    body="Changed by the scheduled devstats run, as ${BOT_NAME}:"$'\n'"$summary"
    GIT_AUTHOR_NAME="$BOT_NAME" GIT_AUTHOR_EMAIL="$BOT_EMAIL" \
      GIT_COMMITTER_NAME="$BOT_NAME" GIT_COMMITTER_EMAIL="$BOT_EMAIL" \
      env -u GITHUB_TOKEN -u GH_TOKEN git -c commit.gpgsign=false commit --quiet --no-verify \
      -m "$subject" -m "$body" -- "${to_commit[@]}"
    commit_sha="$(git rev-parse HEAD)"
    say "committed $commit_sha as $BOT_NAME"
    if [[ -v GITHUB_TOKEN ]] && ! git config --get-all "http.${server_url}/.extraheader" >/dev/null; then
      "$python" "$here/action_support.py" push-header "$work/push-header"
      push_header="$(<"$work/push-header")"
    fi
    if ! remote_git push --quiet origin "HEAD:refs/heads/$branch"; then
      # Someone pushed meanwhile: replay the commit on top of theirs once, then give up.
      say "push rejected; rebasing on origin/$branch and trying once more"
      if ! remote_git pull --quiet --rebase origin "$branch" ||
        ! remote_git push --quiet origin "HEAD:refs/heads/$branch"; then
        git rebase --abort >/dev/null 2>&1 || true
        die "could not push the update to $branch" 1
      fi
      commit_sha="$(git rev-parse HEAD)"
    fi
  fi
fi

if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  delimiter="devstats_$(date +%s%N)_$RANDOM"
  {
    printf 'paths<<%s\n' "$delimiter"
    [[ ${#written[@]} -gt 0 ]] && printf '%s\n' "${written[@]}"
    printf '%s\n' "$delimiter"
    printf 'json=%s\n' "$json_path"
    printf 'changed=%s\n' "$changed"
    printf 'history-changed=%s\n' "$history_changed"
    printf 'remote-changed=%s\n' "$remote_changed"
    printf 'commit=%s\n' "$commit_sha"
  } >>"$GITHUB_OUTPUT"
fi
say "done: changed=$changed${commit_sha:+, commit $commit_sha}"
