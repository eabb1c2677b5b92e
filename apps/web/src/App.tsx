import { Navigate, Route, Routes } from 'react-router';

import { RequireSession } from './auth/RequireSession';
import { SignInPage } from './auth/SignInPage';
import { AppShell } from './layout/AppShell';
import { AccountPage } from './pages/AccountPage';
import { AdminPage } from './pages/admin/AdminPage';
import { ExperimentPage } from './pages/ExperimentPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProjectPage } from './pages/project/ProjectPage';
import { ProjectsPage } from './pages/ProjectsPage';
import { ModelPage } from './pages/registry/ModelPage';
import { ModelsPage } from './pages/registry/ModelsPage';
import { ModelVersionPage } from './pages/registry/ModelVersionPage';
import { RoundPage } from './pages/RoundPage';
import { RunPage } from './pages/RunPage';

/** Every view has its own URL (shareable; the back button works). */
export function App() {
  return (
    <Routes>
      <Route path="/signin" element={<SignInPage />} />
      <Route
        element={
          <RequireSession>
            <AppShell />
          </RequireSession>
        }
      >
        <Route index element={<Navigate to="/projects" replace />} />
        <Route path="/projects" element={<ProjectsPage />} />
        <Route path="/experiments/:experimentId" element={<ExperimentPage />} />
        <Route path="/experiments/:experimentId/runs/:runId" element={<RunPage />} />
        <Route path="/models" element={<ModelsPage />} />
        <Route path="/models/:name" element={<ModelPage />} />
        <Route path="/models/:name/versions/:version" element={<ModelVersionPage />} />
        <Route path="/admin" element={<AdminPage />} />
        <Route path="/account" element={<AccountPage />} />
        <Route path="/projects/:experimentId" element={<ProjectPage />} />
        <Route path="/projects/:experimentId/rounds/:round" element={<RoundPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
