# ChatWeb in a container: built with the .NET SDK (plus npm for the SignalR browser client), run on
# the ASP.NET Core runtime as a non-root user, everything it keeps in the /data volume.
#
#   docker build -t chatweb . && docker run -it -p 8080:8080 -p 5555:5555 -v chatweb-data:/data chatweb
#
# The base images are build arguments so that a machine that cannot pull them can build from local
# ones (scripts/container-smoke.sh does); the defaults are the official images.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
# NuGet checks the revocation of package signing certificates; where the revocation servers cannot be
# reached, pass --build-arg NUGET_CERT_REVOCATION_MODE=offline. Empty keeps NuGet's default.
ARG NUGET_CERT_REVOCATION_MODE=
WORKDIR /src

# Packages first, from the project files alone: a change to the code does not download them again.
# The official SDK image has no node: npm is installed when missing, to fetch @microsoft/signalr.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY ChatWeb.Server/ChatWeb.Server.csproj ChatWeb.Server/package.json ChatWeb.Server/package-lock.json ChatWeb.Server/
RUN if ! command -v npm >/dev/null; then \
        apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*; \
    fi \
    && if [ -z "$NUGET_CERT_REVOCATION_MODE" ]; then unset NUGET_CERT_REVOCATION_MODE; fi \
    && dotnet restore ChatWeb.Server/ChatWeb.Server.csproj \
    && cd ChatWeb.Server && npm ci --no-audit --no-fund

# The build copies the SignalR client from node_modules (restored above) into wwwroot/lib.
COPY ChatWeb.Server/ ChatWeb.Server/
RUN dotnet publish ChatWeb.Server/ChatWeb.Server.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM ${RUNTIME_IMAGE}
# uid 1654 is the official images' non-root "app" user; base images without it get it here.
# /data is made and handed to that user before VOLUME, so a new named volume starts out writable by it.
RUN if ! getent passwd 1654 >/dev/null; then \
        groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --no-create-home --home-dir /app --shell /usr/sbin/nologin app; \
    fi \
    && mkdir -p /data && chown 1654:1654 /data
WORKDIR /app
COPY --from=build /app ./

# URLS replaces the official images' HTTP_PORTS (emptied so Kestrel does not warn about the override).
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_HTTP_PORTS= \
    Chat__DataDirectory=/data
VOLUME /data
# 8080: web pages, hub and API; 5555: the TCP gateway.
EXPOSE 8080 5555
USER 1654

# The runtime image has no curl or wget; bash can speak enough HTTP over /dev/tcp.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && read -r status <&3 && [[ $status == *' 200 '* ]]"]

ENTRYPOINT ["dotnet", "ChatWeb.Server.dll"]
