# One image for both processes: `node apps/api/dist/main.js` or `node apps/worker/dist/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# 佐证材料 (ATTACHMENTS_DIR): a volume mounted here starts owned by the user the processes run as.
RUN mkdir -p /data/attachments && chown node:node /data/attachments
USER node
CMD ["node", "apps/api/dist/main.js"]
