# base - what nearly every dynamically linked program on Debian reads to start:
# the loader and system libraries, locale and timezone data, name-service files and certificates.
# Import it with `supervise profile import policies/base.profile` and copy what you need;
# profile inclusion (`include base`) arrives with profile format work in the jail issue.
read /etc/ld.so.cache
read /etc/ld.so.preload
read /lib
read /lib64
read /usr/lib
read /usr/lib64
read /usr/share/locale
read /usr/share/zoneinfo
read /usr/lib/locale
read /etc/localtime
read /etc/locale.alias
read /etc/nsswitch.conf
read /etc/passwd
read /etc/group
read /etc/hosts
read /etc/host.conf
read /etc/resolv.conf
read /etc/gai.conf
read /etc/ssl/certs
read /usr/share/ca-certificates
read /dev/null
write /dev/null
read /dev/urandom
read /dev/random
read /proc/self
