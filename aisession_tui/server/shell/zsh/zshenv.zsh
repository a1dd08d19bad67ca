# ai-session: the .zshenv of the private ZDOTDIR that starts zsh with shell integration.
# It puts the user's ZDOTDIR back (so zsh then reads the user's own .zprofile, .zshrc and
# .zlogin as usual), sources the user's .zshenv, and for interactive shells loads the
# hooks, which install themselves at the first prompt, after the user's .zshrc.
if [[ -n ${AI_SESSION_ZSH_ZDOTDIR+set} ]]; then
    ZDOTDIR=$AI_SESSION_ZSH_ZDOTDIR
    unset AI_SESSION_ZSH_ZDOTDIR
else
    unset ZDOTDIR
fi
typeset -g __ais_integration_file=${AI_SESSION_ZSH_INTEGRATION-}
unset AI_SESSION_ZSH_INTEGRATION
if [[ -r ${ZDOTDIR:-$HOME}/.zshenv ]]; then
    builtin source "${ZDOTDIR:-$HOME}/.zshenv"
fi
if [[ -o interactive && -n $__ais_integration_file && -r $__ais_integration_file ]]; then
    builtin source "$__ais_integration_file"
fi
unset __ais_integration_file
