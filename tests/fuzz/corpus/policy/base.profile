# base - what nearly every dynamically linked program on Debian needs to start: the loader and
# the system libraries (exec: they are mapped executable), locale and timezone data, the
# name-service files and certificates, and private temporary directories (in the jail /tmp,
# /var/tmp and /dev/shm are the jail's own). Learned profiles begin with "include base".
exec /usr/lib
exec /usr/lib64
exec /lib
exec /lib64
read /usr/share/locale
read /usr/share/zoneinfo
read /usr/share/ca-certificates
read /etc/ld.so.cache
read /etc/ld.so.preload
read /etc/localtime
read /etc/timezone
read /etc/locale.alias
read /etc/nsswitch.conf
read /etc/passwd
read /etc/group
read /etc/hosts
read /etc/host.conf
read /etc/resolv.conf
read /etc/gai.conf
read /etc/ssl/certs
read /usr/share/locale/locale.alias
tmpfs /tmp
tmpfs /var/tmp
tmpfs /dev/shm
read /dev/null
write /dev/null
read /dev/urandom
read /dev/random
read /dev/zero
read /dev/tty
write /dev/tty
read /proc/self
read /proc/filesystems
read /proc/mounts
read /proc/meminfo
read /proc/cpuinfo
read /proc/stat
read /proc/sys/kernel/ngroups_max
read /proc/sys/vm/overcommit_memory
