# ai-session shell integration for bash (used as `bash --rcfile <this file>`).
#
# bash itself reads the system-wide bashrc (/etc/bash.bashrc on Debian) before this
# file even with --rcfile, so only the user's ~/.bashrc is sourced here; then the hooks
# are installed. Nothing visible is printed. Every sequence ends with ST (ESC \):
#   OSC 133;A ST   start of the prompt         OSC 133;B ST   end of the prompt
#   OSC 133;C;<percent-encoded UTF-8 command line> ST   the command is about to run
#   OSC 133;D;<exit code> ST   the command finished (only after a C: an empty Enter or
#                              Ctrl-C at the prompt produce no D)
#   OSC 7;file://<host><percent-encoded cwd> ST   at every prompt
# C is printed from PS0 (expanded once per non-empty command line, before it runs) with
# the text of the history entry when the line was just added to the history; otherwise
# (HISTCONTROL=ignorespace/ignoredups, history off) the DEBUG trap prints it at the first
# simple command, with the last history entry if the line duplicates it, else
# $BASH_COMMAND. PROMPT_COMMAND gets __ais_precmd first (D, OSC 7) and __ais_arm last
# (markers in PS1, PS0 hook), around the user's own (string or bash 5.1+ array) value.

if [[ -r ~/.bashrc ]]; then
    builtin source ~/.bashrc
fi

if [[ -z ${__ais_installed-} && $- == *i* ]]; then
__ais_installed=1
__ais_next_history=0 __ais_fresh=0 __ais_armed=0 __ais_running=0

# Percent-encode $1 into REPLY, byte by byte, keeping RFC 3986 unreserved characters and /.
__ais_encode() {
    REPLY=$1
    [[ $REPLY == *[!A-Za-z0-9._~/-]* ]] || return 0
    local LC_ALL=C text=$1 out= char index
    for (( index = 0; index < ${#text}; index++ )); do
        char=${text:index:1}
        case $char in
            [A-Za-z0-9._~/-]) out+=$char ;;
            *) builtin printf -v char '%%%02X' "'$char"; out+=$char ;;
        esac
    done
    REPLY=$out
}

# First in PROMPT_COMMAND: report the finished command and the cwd.
__ais_precmd() {
    local status=$?
    if [[ -n ${__ais_running-} && $__ais_running != 0 ]]; then
        __ais_running=0
        builtin printf '\e]133;D;%s\e\\' "$status"
    fi
    __ais_encode "$PWD"
    builtin printf '\e]7;file://%s%s\e\\' "${HOSTNAME-}" "$REPLY"
    return $status
}

# Last in PROMPT_COMMAND: mark the prompt in PS1 and put the PS0 hook back if a prompt
# command rewrote them; remember the history number the next command line will get.
__ais_arm() {
    local status=$?
    if [[ $PS1 != *'\e]133;B\e\\\]' ]]; then
        PS1='\[\e]133;A\e\\\]'"$PS1"'\[\e]133;B\e\\\]'
    fi
    if [[ ${PS0-} != "$__ais_ps0"* ]]; then
        PS0=$__ais_ps0${PS0-}
    fi
    __ais_next_history=${HISTCMD-}
    return $status
}

# The history entry of the command line being run, without its number, into REPLY.
__ais_history_text() {
    local entry
    entry=$(HISTTIMEFORMAT= builtin history 1 2>/dev/null)
    REPLY=
    if [[ $entry =~ ^[[:space:]]*[0-9]+[*[:space:]][[:space:]](.*)$ ]]; then
        REPLY=${BASH_REMATCH[1]}
    fi
}

__ais_emit_start() {
    __ais_encode "$1"
    builtin printf '\e]133;C;%s\e\\' "$REPLY"
}

# PS0 runs only for a non-empty command line, before it executes. Its arithmetic sets
# state in the shell itself; its command substitution (a subshell) prints the C sequence
# when the line was just added to the history. Otherwise (not recorded: ignorespace,
# ignoredups, history off) the DEBUG trap prints it, using $BASH_COMMAND if needed.
__ais_ps0_command() {
    if (( __ais_fresh )); then
        __ais_history_text
        __ais_emit_start "$REPLY"
    fi
}
__ais_ps0='${__ais_ps0_state[__ais_fresh = HISTCMD > __ais_next_history, __ais_armed = !__ais_fresh, __ais_running = 1]-}$(__ais_ps0_command)'

__ais_debug() {
    if [[ -n ${__ais_armed-} && $__ais_armed != 0 && -z ${COMP_LINE-} && -z ${READLINE_LINE+set} ]]; then
        __ais_armed=0
        __ais_history_text
        if [[ $BASH_COMMAND == __ais_precmd ]]; then
            # The line ran without a simple command in this shell first, e.g. ( ... ).
            __ais_emit_start "$REPLY"
        elif [[ -n $REPLY && $REPLY == "$BASH_COMMAND"* ]]; then
            __ais_emit_start "$REPLY"
        else
            __ais_emit_start "$BASH_COMMAND"
        fi
    fi
    if [[ -n ${__ais_user_debug_trap-} ]]; then
        builtin eval "$__ais_user_debug_trap"
    fi
    : "$1"
}

__ais_user_debug_trap=$(builtin trap -p DEBUG)
if [[ -n $__ais_user_debug_trap ]]; then
    builtin eval "__ais_set_user_trap() { __ais_user_debug_trap=\$3; }; __ais_set_user_trap $__ais_user_debug_trap"
    builtin unset -f __ais_set_user_trap
fi
builtin trap '__ais_debug "$_"' DEBUG

if [[ $(builtin declare -p PROMPT_COMMAND 2>/dev/null) == "declare -a"* ]]; then
    PROMPT_COMMAND=(__ais_precmd "${PROMPT_COMMAND[@]}" __ais_arm)
elif [[ -n ${PROMPT_COMMAND-} ]]; then
    PROMPT_COMMAND=$'__ais_precmd\n'"$PROMPT_COMMAND"$'\n__ais_arm'
else
    PROMPT_COMMAND=$'__ais_precmd\n__ais_arm'
fi
fi
