# xterm-box - xterm in a box (supervise.profile(5), DESKTOP): on an X server of its own
# (x11 nested: it sees no other window and no keystroke typed elsewhere), with a home of its own
# (home persist: ~/.local/share/supervise/homes/xterm-box, so the real ~ and ~/.ssh stay out of
# sight), no network, and the system's programs to run in it.
# As a launcher: ln -s "$(command -v supervise)" ~/bin/xterm-box; then: xterm-box [XTERM-ARGS]
include base
net none
x11 nested 800x600
home persist
command /usr/bin/xterm
exec /usr/bin
exec /bin
read /etc/X11
read /etc/shells
read /etc/fonts
read /usr/share/X11
read /usr/share/fonts
read /var/cache/fontconfig
write /dev/ptmx
write /dev/pts
