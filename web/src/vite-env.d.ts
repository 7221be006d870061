/// <reference types="vite/client" />
/// <reference types="geojson" />
