# feh-box - the feh image viewer in a box (supervise.profile(5), DESKTOP): on an X server of its
# own (x11 nested), with a home of its own (home persist), no network, and of the files only the
# images its arguments name (read @arg).
# As a launcher: ln -s "$(command -v supervise)" ~/bin/feh-box; then: feh-box PICTURE...
include base
net none
x11 nested
home persist
command /usr/bin/feh
exec /usr/bin/feh
read @arg
read /usr/share/feh
read /etc/fonts
read /usr/share/fonts
read /var/cache/fontconfig
syscalls @default
