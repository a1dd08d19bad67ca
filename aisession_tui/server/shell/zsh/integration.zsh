# ai-session shell integration hooks for interactive zsh (see shell_integration.py for the
# wire format). Sequences end with ST (ESC \); the command text is preexec's $1 (the line
# as typed), percent-encoded. Nothing visible is printed.

# Percent-encode $1 into REPLY, byte by byte, keeping A-Za-z0-9._~/- as they are.
__ais_encode() {
    emulate -L zsh
    REPLY=$1
    [[ $REPLY == *[^A-Za-z0-9._~/-]* ]] || return 0
    local LC_ALL=C text=$1 out= char
    local -i index
    for (( index = 1; index <= ${#text}; index++ )); do
        char=${text[index]}
        if [[ $char == [A-Za-z0-9._~/-] ]]; then
            out+=$char
        else
            out+=${(l:2::0:)$(( [##16] #char ))}
            out[-2]=%${out[-2]}
        fi
    done
    REPLY=$out
}

__ais_precmd() {
    local status_code=$?
    if [[ -n ${__ais_running-} ]]; then
        __ais_running=
        builtin print -rn -- $'\e]133;D;'"$status_code"$'\e\\'
    fi
    __ais_encode "$PWD"
    builtin print -rn -- $'\e]7;file://'"${HOST-}$REPLY"$'\e\\'
    return status_code
}

# Last precmd: mark the prompt (again whenever a theme rewrote PS1).
__ais_mark_prompt() {
    local status_code=$?
    if [[ $PS1 != *$'\e]133;B\e\\%}' ]]; then
        PS1=$'%{\e]133;A\e\\%}'"$PS1"$'%{\e]133;B\e\\%}'
    fi
    return status_code
}

__ais_preexec() {
    __ais_encode "$1"
    builtin print -rn -- $'\e]133;C;'"$REPLY"$'\e\\'
    __ais_running=1
}

# Runs once, at the first prompt: by then the user's .zshrc has added its own hooks.
__ais_install() {
    local status_code=$?
    precmd_functions=(__ais_precmd ${precmd_functions:#(__ais_install|__ais_precmd|__ais_mark_prompt)} __ais_mark_prompt)
    preexec_functions=(${preexec_functions:#__ais_preexec} __ais_preexec)
    __ais_precmd
    __ais_mark_prompt
    return status_code
}

typeset -ga precmd_functions preexec_functions
precmd_functions+=(__ais_install)
